-- MySQL dump 10.13  Distrib 5.5.40, for debian-linux-gnu (x86_64)
--
-- Host: localhost    Database: datasci-002_anonymized_forum
-- ------------------------------------------------------
-- Server version	5.5.40-0ubuntu0.14.04.1

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;

--
-- Table structure for table `forum_comments`
--

DROP TABLE IF EXISTS `forum_comments`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `forum_comments` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `thread_id` int(11) NOT NULL,
  `post_id` int(11) NOT NULL,
  `user_id` int(11) NOT NULL,
  `post_time` int(11) NOT NULL,
  `deleted` tinyint(1) NOT NULL DEFAULT '0',
  `is_spam` tinyint(1) NOT NULL DEFAULT '0',
  `votes` int(11) NOT NULL DEFAULT '0',
  `anonymous` tinyint(1) NOT NULL DEFAULT '0',
  `comment_text` mediumtext NOT NULL,
  `user_agent` varchar(512) DEFAULT NULL,
  `text_type` enum('markdown','html') NOT NULL DEFAULT 'markdown',
  PRIMARY KEY (`id`),
  KEY `thread_id` (`thread_id`),
  KEY `post_id` (`post_id`),
  KEY `user_id` (`user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `forum_comments`
--

LOCK TABLES `forum_comments` WRITE;
/*!40000 ALTER TABLE `forum_comments` DISABLE KEYS */;
/*!40000 ALTER TABLE `forum_comments` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `forum_forums`
--

DROP TABLE IF EXISTS `forum_forums`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `forum_forums` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `parent_id` int(11) NOT NULL DEFAULT '0',
  `name` varchar(255) NOT NULL,
  `description` text NOT NULL,
  `type` enum('qna','forum') NOT NULL DEFAULT 'forum',
  `deleted` tinyint(1) NOT NULL DEFAULT '0',
  `can_post` tinyint(1) NOT NULL DEFAULT '1',
  `show_threads` tinyint(1) NOT NULL DEFAULT '1',
  `resolved_tag` tinyint(1) NOT NULL DEFAULT '0',
  `display_order` int(11) NOT NULL DEFAULT '0',
  `open_time` int(11) NOT NULL DEFAULT '-1',
  `forum_moderators_only` tinyint(1) NOT NULL DEFAULT '0',
  PRIMARY KEY (`id`),
  KEY `parent_id` (`parent_id`)
) ENGINE=InnoDB AUTO_INCREMENT=4 DEFAULT CHARSET=utf8mb4;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `forum_forums`
--

LOCK TABLES `forum_forums` WRITE;
/*!40000 ALTER TABLE `forum_forums` DISABLE KEYS */;
INSERT INTO `forum_forums` VALUES (1,0,'General Discussion','Anything about the course.','forum',0,1,1,0,1,-1,0),(2,0,'Assignments','Programming assignments.','qna',0,1,1,1,2,-1,0),(3,0,'Technical Issues','Problems with the site or the VM.','qna',0,1,1,1,3,-1,0);
/*!40000 ALTER TABLE `forum_forums` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `forum_posts`
--

DROP TABLE IF EXISTS `forum_posts`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `forum_posts` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `thread_id` int(11) NOT NULL,
  `user_id` int(11) NOT NULL,
  `post_time` int(11) NOT NULL,
  `edit_time` int(11) NOT NULL DEFAULT '-1',
  `deleted` tinyint(1) NOT NULL DEFAULT '0',
  `is_spam` tinyint(1) NOT NULL DEFAULT '0',
  `original` tinyint(1) NOT NULL DEFAULT '0',
  `stickied` tinyint(1) NOT NULL DEFAULT '0',
  `approved` tinyint(1) NOT NULL DEFAULT '1',
  `anonymous` tinyint(1) NOT NULL DEFAULT '0',
  `votes` int(11) NOT NULL DEFAULT '0',
  `post_text` mediumtext NOT NULL,
  `user_agent` varchar(512) DEFAULT NULL,
  `text_type` enum('markdown','html') NOT NULL DEFAULT 'markdown',
  PRIMARY KEY (`id`),
  KEY `thread_id` (`thread_id`),
  KEY `user_id` (`user_id`)
) ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=utf8mb4;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `forum_posts`
--

LOCK TABLES `forum_posts` WRITE;
/*!40000 ALTER TABLE `forum_posts` DISABLE KEYS */;
INSERT INTO `forum_posts` VALUES (1,1,60114,1400089222,-1,0,0,1,0,1,0,0,'My script prints 0 for every tweet. The AFINN file loads fine. What am I missing?','Mozilla/5.0 (Windows NT 6.1; rv:27.0) Gecko/20100101 Firefox/27.0','markdown'),(2,1,58213,1400098265,-1,0,0,0,0,1,0,2,'Check that you lowercase the words before the lookup: the sentiment file is all lower case, tweets are not.','Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.146 Safari/537.36','markdown'),(3,1,61550,1400135537,-1,0,0,0,0,1,0,0,'That fixed it for me too, thanks!','Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_2) AppleWebKit/537.75.14 (KHTML, like Gecko) Version/7.0.3 Safari/537.75.14','markdown'),(4,2,58213,1400612748,-1,0,0,1,0,1,0,0,'I teach a methods course for future teachers and would like to reuse the Twitter assignment with a local data set. Anyone else doing this? Happy to share notes.','Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.146 Safari/537.36','markdown'),(5,2,60887,1400660070,-1,0,0,0,0,1,0,0,'Yes! I am trying it with school statistics. Let us compare notes.','Mozilla/5.0 (Windows NT 6.1; rv:27.0) Gecko/20100101 Firefox/27.0','markdown'),(6,2,58213,1400676479,-1,0,0,0,0,1,0,0,'Great. I will put my notes on a shared page next week.','Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.146 Safari/537.36','markdown');
/*!40000 ALTER TABLE `forum_posts` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `forum_reporting`
--

DROP TABLE IF EXISTS `forum_reporting`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `forum_reporting` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `user_id` int(11) NOT NULL,
  `report_type` enum('inappropriate','technical') NOT NULL,
  `item_type` enum('post','comment') NOT NULL,
  `item_id` int(11) NOT NULL,
  `description` text,
  `timestamp` int(11) NOT NULL DEFAULT '-1',
  PRIMARY KEY (`id`),
  KEY `item` (`item_type`,`item_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `forum_reporting`
--

LOCK TABLES `forum_reporting` WRITE;
/*!40000 ALTER TABLE `forum_reporting` DISABLE KEYS */;
/*!40000 ALTER TABLE `forum_reporting` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `forum_reputation_record`
--

DROP TABLE IF EXISTS `forum_reputation_record`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `forum_reputation_record` (
  `user_id` int(11) NOT NULL,
  `pc_id` int(11) NOT NULL,
  `type` enum('post','comment') NOT NULL,
  `direction` tinyint(4) NOT NULL,
  `timestamp` int(11) NOT NULL DEFAULT '-1',
  PRIMARY KEY (`user_id`,`pc_id`,`type`),
  KEY `pc` (`type`,`pc_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `forum_reputation_record`
--

LOCK TABLES `forum_reputation_record` WRITE;
/*!40000 ALTER TABLE `forum_reputation_record` DISABLE KEYS */;
INSERT INTO `forum_reputation_record` VALUES (61550,2,'post',1,1400135560),(60114,2,'post',1,-1);
/*!40000 ALTER TABLE `forum_reputation_record` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `forum_threads`
--

DROP TABLE IF EXISTS `forum_threads`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `forum_threads` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `forum_id` int(11) NOT NULL,
  `user_id` int(11) NOT NULL,
  `posted_time` int(11) NOT NULL,
  `last_updated_time` int(11) NOT NULL,
  `last_updated_user` int(11) NOT NULL,
  `deleted` tinyint(1) NOT NULL DEFAULT '0',
  `is_spam` tinyint(1) NOT NULL DEFAULT '0',
  `stickied` tinyint(1) NOT NULL DEFAULT '0',
  `approved` tinyint(1) NOT NULL DEFAULT '1',
  `unresolved` tinyint(1) NOT NULL DEFAULT '0',
  `instructor_replied` tinyint(1) NOT NULL DEFAULT '0',
  `num_posts` int(11) NOT NULL DEFAULT '0',
  `num_views` int(11) NOT NULL DEFAULT '0',
  `votes` int(11) NOT NULL DEFAULT '0',
  `locked` tinyint(1) NOT NULL DEFAULT '0',
  `anonymous` tinyint(1) NOT NULL DEFAULT '0',
  `title` varchar(255) NOT NULL,
  `triage_sync_status` tinyint(4) NOT NULL DEFAULT '0',
  `triage_status` varchar(32) DEFAULT NULL,
  `private` tinyint(1) NOT NULL DEFAULT '0',
  `problem_id` int(11) DEFAULT NULL,
  PRIMARY KEY (`id`),
  KEY `forum_id` (`forum_id`),
  KEY `user_id` (`user_id`)
) ENGINE=InnoDB AUTO_INCREMENT=3 DEFAULT CHARSET=utf8mb4;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `forum_threads`
--

LOCK TABLES `forum_threads` WRITE;
/*!40000 ALTER TABLE `forum_threads` DISABLE KEYS */;
INSERT INTO `forum_threads` VALUES (1,2,60114,1400089222,1400135537,61550,0,0,0,1,0,0,3,388,0,0,0,'Assignment 1: tweet sentiment scores all zero?',0,NULL,0,NULL),(2,1,58213,1400612748,1400676479,58213,0,0,0,1,0,0,3,241,0,0,0,'Study group for teachers: using these assignments in class',0,NULL,0,NULL);
/*!40000 ALTER TABLE `forum_threads` ENABLE KEYS */;
UNLOCK TABLES;
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed on 2016-11-18 16:05:33
